QL_SEARCH.add("d11",{"u":"../disclosures/index.html","t":"信息公开","x":""});
