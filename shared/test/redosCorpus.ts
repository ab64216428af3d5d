/**
 * Test support: regular expressions known for catastrophic backtracking (each takes minutes or
 * more on a backtracking engine against forty-odd characters), for the tests and the fuzz test.
 */
export const REDOS_CORPUS = [
  "^(a+)+$",
  "(a|aa)+$",
  "^(a|a?)+$",
  "(.*a){12}$",
  "^(\\w+\\s?)*$",
  "(x+x+)+y",
  "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
];
