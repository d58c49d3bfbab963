QL_SEARCH.add("d8",{"u":"../report/index.html","t":"我要举报","x":""});
