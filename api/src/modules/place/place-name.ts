/** Letters that Unicode does not decompose into a base letter and a mark. */
const FOLDED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h' };

/**
 * A place name or search as the index compares it: no accents, lower case, punctuation as spaces, single spaces
 * ("São Paulo" → "sao paulo", "Saint-Étienne" → "saint etienne", "Zürich" → "zurich").
 */
export function normalizePlaceName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħ]/g, (c) => FOLDED[c]!)
    .replace(/['’ʻ`]/g, '')
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
}
