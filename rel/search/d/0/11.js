QL_SEARCH.add("d11",{"u":"../news/index.html","t":"工作动态","x":""});
