QL_SEARCH.add("d6",{"u":"../cases/index.html","t":"警示案例","x":""});
