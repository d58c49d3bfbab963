QL_SEARCH.add("d7",{"u":"../channels/phone/index.html","t":"东院举报电话","x":"电话 0000-33334"});
