QL_SEARCH.add("d6",{"u":"../cases/own/index.html","t":"东院案例","x":"依据委办法处理。","d":"2026-02-02"});
