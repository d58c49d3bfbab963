QL_SEARCH.add("d9",{"u":"../report/index.html","t":"我要举报","x":""});
