QL_SEARCH.add("d10",{"u":"../news/2026/meeting/index.html","t":"委召开警示大会","x":"会议。","d":"2026-03-01"});
