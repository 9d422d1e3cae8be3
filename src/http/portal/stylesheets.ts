import { createHash } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'

/**
 * The portal's own styles, on top of the DSFR's: what the DSFR leaves to each site. Served as
 * files (the pages' Content-Security-Policy refuses inline styles), each under a URL naming its
 * content, so that browsers keep it until it changes.
 */
const PORTAL = `/* OpenEmploi — styles du portail, en complément du DSFR */

/* Long lines of code wrap within the page rather than widen it (a phone is 375 px wide). */
pre {
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}

/* Identifiers (a client_id is some 90 characters without a space) break rather than widen their box. */
code {
  overflow-wrap: anywhere;
}

/* A table scrolls within its container: what is positioned in it (the words of .fr-sr-only) is
   placed in the container too, instead of widening the page. */
.fr-table__container {
  position: relative;
}

/* Charts (chart.ts): the axis keeps its width, the plot takes the rest; labels are drawn at
   their size in CSS pixels, whatever the screen's width. */
.oe-chart__frame {
  display: flex;
  padding-right: 1rem;
}

.oe-chart__axis {
  flex: none;
}

.oe-chart__plot {
  flex: 1 1 0;
  min-width: 0;
  overflow: visible;
}
`

/**
 * Without JavaScript, the DSFR cannot open the header's menu (a modal): on narrow screens the
 * menu is shown in the page instead, with the links the tools bar holds on wide screens.
 */
const WITHOUT_SCRIPT = `/* OpenEmploi — portail sans JavaScript : le menu est affiché dans la page */

@media (max-width: 61.99em) {
  .fr-header__navbar {
    display: none;
  }

  .fr-header .fr-header__menu.fr-modal {
    position: static;
    visibility: visible;
    opacity: 1;
    height: auto;
    z-index: auto;
  }

  .fr-header .fr-header__menu.fr-modal > .fr-container {
    padding-top: 0;
    padding-bottom: 0.5rem;
  }

  .fr-header .fr-header__menu .fr-btn--close {
    display: none;
  }
}
`

interface Stylesheet {
  readonly name: string
  readonly css: string
  readonly version: string
}

function stylesheet(name: string, css: string): Stylesheet {
  return { name, css, version: createHash('sha256').update(css).digest('base64url').slice(0, 12) }
}

/** The portal's stylesheets, by role. */
export const STYLESHEETS = {
  portal: stylesheet('portail.css', PORTAL),
  withoutScript: stylesheet('portail-sans-js.css', WITHOUT_SCRIPT),
} as const

/** The URL of a stylesheet under the portal's base path, naming its version. */
export function stylesheetUrl(base: string, sheet: Stylesheet): string {
  return `${base}/${sheet.name}?v=${sheet.version}`
}

/** Serves the stylesheets; the version in the URL lets browsers keep them for a year. */
export const portalStylesheets: FastifyPluginAsync = (app) => {
  for (const sheet of Object.values(STYLESHEETS)) {
    app.get<{ Querystring: { v?: string } }>(`/${sheet.name}`, { schema: { hide: true } }, (request, reply) =>
      reply
        .type('text/css; charset=utf-8')
        .header('Cache-Control', request.query.v === sheet.version ? 'public, max-age=31536000, immutable' : 'no-cache')
        .header('X-Content-Type-Options', 'nosniff')
        .send(sheet.css),
    )
  }
  return Promise.resolve()
}
