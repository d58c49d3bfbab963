QL_SEARCH.add("d0",{"u":"../principles/08/index.html","t":"不收受患方红包","x":"九项准则 第8条 释义。"});
