QL_SEARCH.add("d6",{"u":"../channels/phone/index.html","t":"西院举报电话","x":"电话 0000-33334"});
