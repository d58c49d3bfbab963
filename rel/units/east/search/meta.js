QL_SEARCH.add("meta",{"v":3,"n":15,"s":1,"k":[["principle",0,2],["policy",2,4],["case",4,7],["channel",7,10],["disclosure",10,12],["news",12,15]]});
