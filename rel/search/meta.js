QL_SEARCH.add("meta",{"v":3,"n":12,"s":1,"k":[["principle",0,2],["policy",2,5],["case",5,7],["channel",7,9],["news",9,12]]});
