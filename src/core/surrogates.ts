// A character beyond the Basic Multilingual Plane (an emoji, a rare letter) is two UTF-16 code
// units, a high surrogate then a low one: offsets, cuts and excerpts must never fall between them.

export const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff

export const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff
