QL_SEARCH.add("d9",{"u":"../news/2026/all/index.html","t":"全系统廉洁月","x":"各单位都发。","d":"2026-04-01"});
