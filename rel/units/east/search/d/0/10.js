QL_SEARCH.add("d10",{"u":"../disclosures/fix/index.html","t":"东院整改公示","x":"整改公示","d":"2026-06-01"});
