QL_SEARCH.add("d14",{"u":"../news/index.html","t":"工作动态","x":""});
