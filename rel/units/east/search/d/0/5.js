QL_SEARCH.add("d5",{"u":"../cases/index.html","t":"警示案例","x":""});
