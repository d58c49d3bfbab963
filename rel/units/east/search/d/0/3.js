QL_SEARCH.add("d3",{"u":"../policies/index.html","t":"制度文件","x":""});
