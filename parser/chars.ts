/**
 * Character classes by character code, for loops that must agree with the regular expressions
 * they stand in for. A leaf module: every part of the parser may import it.
 */

/**
 * Whether a character (by code) is whitespace as /\s/ and String.prototype.trim take it: the
 * controls \t \n \v \f \r, the Unicode spaces (Zs), the line and paragraph separators and the
 * byte order mark. For loops over character codes that must agree with those patterns.
 */
export function isJsWhitespace(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
