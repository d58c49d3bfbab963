QL_SEARCH.add("d13",{"u":"../news/2026/east/index.html","t":"东院开展自查","x":"自查。","d":"2026-05-05"});
