import type { Account } from '../../domain/access/access.repository.js'
import { html, type SafeHtml } from './html.js'
import { STYLESHEETS, stylesheetUrl } from './stylesheets.js'

/** Who is looking at a page, and what every page needs to know about it. */
export interface Viewer {
  /** The path the portal is mounted under, e.g. `/portail`. */
  readonly base: string
  /** The path of the page, for `aria-current`. */
  readonly path: string
  readonly account: Account | undefined
  /** The anti-forgery token of this viewer's forms. */
  readonly csrf: string
}

/** The hidden anti-forgery field every POST form carries. */
export function csrfField(viewer: Viewer): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${viewer.csrf}">`
}

/** A DSFR alert, with a text (a paragraph) or blocks of markup; `error` alerts are announced at once. */
export function alert(kind: 'error' | 'success' | 'info' | 'warning', title: string, content?: string | SafeHtml): SafeHtml {
  const role = kind === 'error' ? 'alert' : 'status'
  return html`<div class="fr-alert fr-alert--${kind} fr-mb-4w" role="${role}">
<h2 class="fr-alert__title">${title}</h2>
${typeof content === 'string' ? html`<p>${content}</p>` : content}
</div>`
}

/** A text input with its label, hint and error message (linked by `aria-describedby`). */
export function inputGroup(field: {
  id: string
  label: string
  hint?: string
  type?: 'text' | 'email' | 'password'
  value?: string
  error?: string | undefined
  autocomplete?: string
  required?: boolean
  maxLength?: number
}): SafeHtml {
  const error = field.error
  const messages = `${field.id}-messages`
  return html`<div class="fr-input-group${error ? ' fr-input-group--error' : ''}">
<label class="fr-label" for="${field.id}">${field.label}${field.hint ? html`<span class="fr-hint-text">${field.hint}</span>` : null}</label>
<input class="fr-input${error ? ' fr-input--error' : ''}" type="${field.type ?? 'text'}" id="${field.id}" name="${field.id}"${
    field.value === undefined ? null : html` value="${field.value}"`
  }${field.autocomplete ? html` autocomplete="${field.autocomplete}"` : null}${field.required ? html` required aria-required="true"` : null}${
    field.maxLength ? html` maxlength="${field.maxLength}"` : null
  }${error ? html` aria-invalid="true" aria-describedby="${messages}"` : null}>
<div class="fr-messages-group" id="${messages}" aria-live="polite">${error ? html`<p class="fr-message fr-message--error">${error}</p>` : null}</div>
</div>`
}

/** A select with its label and error message. */
export function selectGroup(field: {
  id: string
  label: string
  options: readonly { value: string; label: string }[]
  value?: string
  error?: string | undefined
  required?: boolean
}): SafeHtml {
  const error = field.error
  const messages = `${field.id}-messages`
  return html`<div class="fr-select-group${error ? ' fr-select-group--error' : ''}">
<label class="fr-label" for="${field.id}">${field.label}</label>
<select class="fr-select${error ? ' fr-select--error' : ''}" id="${field.id}" name="${field.id}"${
    field.required ? html` required aria-required="true"` : null
  }${error ? html` aria-invalid="true" aria-describedby="${messages}"` : null}>
<option value=""${field.value ? null : html` selected`} disabled hidden>Sélectionner une option</option>
${field.options.map((option) => html`<option value="${option.value}"${option.value === field.value ? html` selected` : null}>${option.label}</option>`)}
</select>
<div class="fr-messages-group" id="${messages}" aria-live="polite">${error ? html`<p class="fr-message fr-message--error">${error}</p>` : null}</div>
</div>`
}

/** A DSFR table in its wrappers, its cells wrapping their text (so that narrow screens see every column). */
export function table(options: { caption: string; head: readonly string[]; rows: readonly SafeHtml[]; captionHidden?: boolean }): SafeHtml {
  return html`<div class="fr-table fr-table--multiline${options.captionHidden ? ' fr-table--no-caption' : ''}">
<div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content">
<table>
<caption>${options.caption}</caption>
<thead><tr>${options.head.map((cell) => html`<th scope="col">${cell}</th>`)}</tr></thead>
<tbody>
${options.rows}
</tbody>
</table>
</div></div></div>
</div>`
}

/** A link of the navigation, marked when it is the page's own or, unless `exact`, the page's section. */
function navLink(viewer: Viewer, href: string, label: string, options: { exact?: boolean } = {}): SafeHtml {
  const current = viewer.path === href || (!options.exact && viewer.path.startsWith(`${href}/`))
  return html`<li class="fr-nav__item"><a class="fr-nav__link" href="${href || '/'}"${current ? html` aria-current="page"` : null}>${label}</a></li>`
}

function signOutForm(viewer: Viewer, buttonClass: string): SafeHtml {
  return html`<form method="post" action="${viewer.base}/deconnexion">${csrfField(viewer)}<button type="submit" class="${buttonClass}">Se déconnecter</button></form>`
}

function header(viewer: Viewer): SafeHtml {
  const { base, account } = viewer
  const tools = html`<ul class="fr-btns-group">
${
  account
    ? html`<li><a class="fr-btn fr-icon-account-circle-line" href="${base}/applications">${account.name}</a></li>
<li>${signOutForm(viewer, 'fr-btn fr-icon-logout-box-r-line')}</li>`
    : html`<li><a class="fr-btn fr-icon-add-circle-line" href="${base}/inscription">Créer un compte</a></li>
<li><a class="fr-btn fr-icon-account-circle-line" href="${base}/connexion">Se connecter</a></li>`
}
</ul>`
  // No « République française » block: OpenEmploi may be run by anyone, not only by the State,
  // and the DSFR reserves that block to State services. The tool links are written in the menu
  // too, as the DSFR's script would copy them there: narrow screens find them in the menu, which
  // the script opens as a modal, and which is shown in the page without script (portail-sans-js.css).
  return html`<header role="banner" class="fr-header">
<div class="fr-header__body"><div class="fr-container"><div class="fr-header__body-row">
<div class="fr-header__brand fr-enlarge-link">
<div class="fr-header__brand-top">
<div class="fr-header__service">
<a href="${base || '/'}" title="Accueil — OpenEmploi, portail des développeurs"><p class="fr-header__service-title">OpenEmploi</p></a>
<p class="fr-header__service-tagline">Portail des développeurs</p>
</div>
<div class="fr-header__navbar">
<button class="fr-btn--menu fr-btn" type="button" data-fr-opened="false" aria-controls="menu-principal" aria-haspopup="dialog" id="bouton-menu" title="Menu">Menu</button>
</div>
</div>
</div>
<div class="fr-header__tools"><div class="fr-header__tools-links">${tools}</div></div>
</div></div></div>
<div class="fr-header__menu fr-modal" id="menu-principal" aria-labelledby="bouton-menu">
<div class="fr-container">
<button class="fr-btn--close fr-btn" type="button" aria-controls="menu-principal" title="Fermer">Fermer</button>
<div class="fr-header__menu-links">${tools}</div>
<nav class="fr-nav" role="navigation" aria-label="Menu principal"><ul class="fr-nav__list">
${navLink(viewer, base, 'Accueil', { exact: true })}
${navLink(viewer, `${base}/apis`, 'Les API')}
${navLink(viewer, '/stats', 'Statistiques')}
${account ? navLink(viewer, `${base}/applications`, 'Mes applications') : null}
</ul></nav>
</div>
</div>
</header>`
}

/**
 * The DSFR footer, with the links it requires: the accessibility statement (its state in the link:
 * « non conforme » until an audit says otherwise), legal notices, personal data, cookies.
 */
function footer(viewer: Viewer): SafeHtml {
  return html`<footer class="fr-footer fr-mt-8w" role="contentinfo" id="pied-de-page">
<div class="fr-container">
<div class="fr-footer__body">
<div class="fr-footer__brand">
<a class="fr-footer__brand-link" href="${viewer.base || '/'}" title="Accueil — OpenEmploi, portail des développeurs"><p class="fr-h5 fr-mb-0">OpenEmploi</p></a>
</div>
<div class="fr-footer__content">
<p class="fr-footer__content-desc">OpenEmploi est une mise en œuvre libre et auto-hébergeable de l’API Offres d’emploi v2 : seule l’URL de base change.</p>
<ul class="fr-footer__content-list">
<li class="fr-footer__content-item"><a class="fr-footer__content-link" href="/docs">Documentation de l’API</a></li>
<li class="fr-footer__content-item"><a class="fr-footer__content-link" href="${viewer.base}/apis">Catalogue des API</a></li>
</ul>
</div>
</div>
<div class="fr-footer__bottom">
<ul class="fr-footer__bottom-list">
<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="${viewer.base}/accessibilite">Accessibilité : non conforme</a></li>
<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="${viewer.base}/mentions-legales">Mentions légales</a></li>
<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="${viewer.base}/donnees-personnelles">Données personnelles</a></li>
<li class="fr-footer__bottom-item"><a class="fr-footer__bottom-link" href="${viewer.base}/cookies">Gestion des cookies</a></li>
</ul>
<div class="fr-footer__bottom-copy"><p>OpenEmploi est un logiciel libre sous licence MIT, construit avec le système de design de l’État (DSFR).</p></div>
</div>
</div>
</footer>`
}

/** A whole page: DSFR shell, skip links, header with the viewer's links, one `<main>`, footer. */
export function layout(viewer: Viewer, page: { title: string; main: SafeHtml; hasError?: boolean }): string {
  const { base } = viewer
  const title = `${page.hasError ? 'Erreur : ' : ''}${page.title} — Portail des développeurs OpenEmploi`
  return html`<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="format-detection" content="telephone=no,date=no,address=no,email=no,url=no">
<title>${title}</title>
<link rel="stylesheet" href="${base}/dsfr/dsfr.min.css">
<link rel="stylesheet" href="${base}/dsfr/utility/icons/icons.min.css">
<link rel="stylesheet" href="${stylesheetUrl(base, STYLESHEETS.portal)}">
<noscript><link rel="stylesheet" href="${stylesheetUrl(base, STYLESHEETS.withoutScript)}"></noscript>
<link rel="icon" href="${base}/dsfr/favicon/favicon.svg" type="image/svg+xml">
<link rel="icon" href="${base}/dsfr/favicon/favicon.ico" sizes="any">
</head>
<body>
<div class="fr-skiplinks"><nav class="fr-container" role="navigation" aria-label="Accès rapide"><ul class="fr-skiplinks__list">
<li><a class="fr-link" href="#contenu">Contenu</a></li>
<li><a class="fr-link" href="#pied-de-page">Pied de page</a></li>
</ul></nav></div>
${header(viewer)}
<main id="contenu" class="fr-container fr-py-6w" tabindex="-1">
${page.main}
</main>
${footer(viewer)}
<script type="module" src="${base}/dsfr/dsfr.module.min.js"></script>
<script nomodule src="${base}/dsfr/dsfr.nomodule.min.js"></script>
</body>
</html>
`.value
}
