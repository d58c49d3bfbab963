QL_SEARCH.add("meta",{"v":3,"n":11,"s":1,"k":[["principle",0,2],["policy",2,4],["case",4,6],["channel",6,9],["news",9,11]]});
