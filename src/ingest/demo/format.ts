/** Small text and number helpers shared by the parts of the generator. */
import { mix32, type Random } from './random.js'

export type Mutable<T> = { -readonly [K in keyof T]?: T[K] }

export const digits = (random: Random, count: number): string => {
  let text = String(random.int(1, 9))
  for (let i = 1; i < count; i++) text += String(random.int(0, 9))
  return text
}
export const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'
export const HEX = '0123456789abcdef'
export const LOWER = 'abcdefghijklmnopqrstuvwxyz'
export const token = (random: Random, count: number, alphabet: string): string => {
  let text = ''
  for (let i = 0; i < count; i++) text += alphabet.charAt(Math.floor(random.next() * alphabet.length))
  return text
}

export function stringHash(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return mix32(hash)
}

export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** Amounts as Java prints a double: "2000.0", "2630.38" (the original's "Mensuel de … sur 12.0 mois"). */
export function javaDouble(amount: number): string {
  const cents = Math.round(amount * 100) / 100
  return Number.isInteger(cents) ? `${cents}.0` : `${cents}`
}

export function twoDecimals(amount: number, separator: '.' | ','): string {
  const text = amount.toFixed(2)
  return separator === '.' ? text : text.replace('.', ',')
}

export function hoursLabel(hours: number): string {
  const whole = Math.floor(hours)
  const minutes = Math.round((hours - whole) * 60)
  return minutes === 0 ? `${whole}H` : `${whole}H${minutes}`
}

/** "DE LYON", "D'ANNECY", "DU HAVRE", "DES ULIS", "DE LA ROCHELLE". */
export function ofCity(city: string): string {
  if (city.startsWith('LE ')) return `DU ${city.slice(3)}`
  if (city.startsWith('LES ')) return `DES ${city.slice(4)}`
  if (city.startsWith('L ')) return `DE L'${city.slice(2)}`
  return 'AEIOUY'.includes(city.charAt(0)) ? `D'${city}` : `DE ${city}`
}

export function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`
}

/** "Assurer …" → "assurer …", but acronyms stay ("CE", "SST"). */
export function lowerFirst(text: string): string {
  const second = text.charAt(1)
  if (second !== second.toLowerCase()) return text
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`
}

export function isoDate(milliseconds: number): string {
  return new Date(milliseconds).toISOString()
}

/** `count` distinct items, preferring the first pool ("cœur de métier") with probability `preferFirst`. */
export function pickDistinct<T>(
  random: Random,
  first: readonly T[],
  second: readonly T[],
  count: number,
  preferFirst: number,
): T[] {
  const chosen: T[] = []
  const available = first.length + second.length
  const wanted = Math.min(count, available)
  // Bounded attempts: a duplicate draw is retried a few times, then the slot is given up.
  for (let attempt = 0; chosen.length < wanted && attempt < wanted * 8; attempt++) {
    const fromFirst = second.length === 0 || (first.length > 0 && random.chance(preferFirst))
    const item = random.pick(fromFirst ? first : second)
    if (!chosen.includes(item)) chosen.push(item)
  }
  return chosen
}
