// A chart as a file of its own. The SVG on screen takes its colours and fonts from the page's
// stylesheet (CSS variables that follow the colour scheme); a saved SVG has no page, so every
// drawn element gets the colours and font it shows now written on it, with the chart's title
// and description and the SVG namespace. The PNG is that SVG drawn onto a canvas.

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg'

/** The computed style properties that decide how an SVG element looks, written back as attributes. */
const PAINTED_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline'
] as const

/** The SVG's size in CSS pixels, from its viewBox (what the export is drawn at). */
export function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.getAttribute('viewBox')?.split(/[\s,]+/).map(Number) ?? []
  const [, , width, height] = box
  if (width !== undefined && height !== undefined && width > 0 && height > 0) return { width, height }
  return { width: Number(svg.getAttribute('width')) || 640, height: Number(svg.getAttribute('height')) || 320 }
}

/**
 * A standalone SVG document of the chart as it looks now: computed colours and fonts inlined,
 * classes and style attributes dropped, a background in the chart's surface colour first.
 */
export function standaloneSvg(svg: SVGSVGElement, background: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement
  const originals = [svg, ...svg.querySelectorAll('*')]
  const copies = [copy, ...copy.querySelectorAll('*')]
  originals.forEach((original, index) => {
    const target = copies[index]
    if (!target) return
    const style = getComputedStyle(original)
    for (const property of PAINTED_PROPERTIES) {
      const value = style.getPropertyValue(property).trim()
      if (value !== '' && !value.includes('var(')) target.setAttribute(property, value)
    }
    target.removeAttribute('class')
    target.removeAttribute('style')
    // Screen-reader wiring of the page (ids it points at stay: title and desc keep theirs).
    target.removeAttribute('aria-hidden')
    target.removeAttribute('focusable')
  })
  const { width, height } = svgSize(svg)
  copy.setAttribute('width', String(width))
  copy.setAttribute('height', String(height))
  copy.setAttribute('viewBox', `0 0 ${width} ${height}`)
  const backdrop = copy.ownerDocument.createElementNS(SVG_NAMESPACE, 'rect')
  backdrop.setAttribute('width', String(width))
  backdrop.setAttribute('height', String(height))
  backdrop.setAttribute('fill', background)
  // After <title> and <desc>, which must stay the first children to name the drawing.
  const firstDrawn = [...copy.children].find((child) => child.localName !== 'title' && child.localName !== 'desc') ?? null
  copy.insertBefore(backdrop, firstDrawn)
  // XMLSerializer names the SVG namespace on the root itself (setting xmlns as well would write it twice).
  let source = new XMLSerializer().serializeToString(copy)
  if (!/^<svg[^>]*\sxmlns="/.test(source)) source = source.replace(/^<svg/, `<svg xmlns="${SVG_NAMESPACE}"`)
  return `<?xml version="1.0" encoding="UTF-8"?>\n${source}\n`
}

/** The SVG drawn on a canvas at `scale` times its size (2: sharp on high-density screens and in print). */
export async function svgToPng(svgText: string, size: { width: number; height: number }, scale = 2): Promise<Blob> {
  const image = new Image()
  // A data: URL: the Content-Security-Policy allows images from data: (not blob:).
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(size.width * scale)
  canvas.height = Math.round(size.height * scale)
  const context = canvas.getContext('2d')
  if (!context) throw new Error('This window cannot draw on a canvas, so the chart cannot be saved as PNG; save it as SVG instead.')
  context.drawImage(image, 0, 0, canvas.width, canvas.height)
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The chart could not be turned into a PNG; save it as SVG instead.'))), 'image/png')
  })
}
