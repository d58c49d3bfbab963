QL_SEARCH.add("d1",{"u":"../principles/index.html","t":"九项准则","x":""});
