QL_SEARCH.add("d2",{"u":"../policies/gift/index.html","t":"委红包上交办法","x":"测卫〔2025〕1号 全文。"});
