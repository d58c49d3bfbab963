QL_SEARCH.add("d4",{"u":"../cases/2025/red/index.html","t":"某院收受红包案","x":"见办法。","d":"2025-05-06"});
