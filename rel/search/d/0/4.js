QL_SEARCH.add("d4",{"u":"../policies/inner/index.html","t":"委机关内部规定","x":"只在委网站。"});
