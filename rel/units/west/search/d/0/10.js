QL_SEARCH.add("d10",{"u":"../news/index.html","t":"工作动态","x":""});
