/** Length in characters as people (and MySQL's utf8mb4 VARCHAR) count them: code points, not UTF-16 units. */
export function charLength(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}
