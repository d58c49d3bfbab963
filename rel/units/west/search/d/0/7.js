QL_SEARCH.add("d7",{"u":"../channels/wjw-phone/index.html","t":"委纪检监察组举报电话","x":"电话 0000-11112222"});
