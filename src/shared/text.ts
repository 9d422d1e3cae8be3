/** Removes diacritics by Unicode decomposition: "é" → "e", "ç" → "c" ("œ" has none and stays). */
export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '')
}

/** Text compared without case or accents. */
export function foldText(text: string): string {
  return foldAccents(text).toLowerCase()
}
