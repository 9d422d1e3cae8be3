/**
 * A few lines of CSS over swagger-ui's at /docs: the top bar's link back to the portal, and a
 * phone (375 px) never scrolls the whole page sideways: what is wider than the screen scrolls
 * within its operation.
 */
export const DOCS_CSS = `/* OpenEmploi — /docs */
.openemploi-portail {
  color: #fff;
  font-size: 14px;
  margin: 0 1.5em;
  white-space: nowrap;
  text-decoration: underline;
}

.openemploi-portail:focus,
.openemploi-portail:hover {
  color: #fff;
  outline: 2px solid #fff;
}

.swagger-ui .opblock-body {
  overflow-x: auto;
}

@media (max-width: 40em) {
  /* The responses' « Links » column is empty (the API declares no links): no room for it. */
  .swagger-ui .response-col_links {
    display: none;
  }

  /* The top bar (logo, link back to the portal, choice of document) wraps rather than widens. */
  .swagger-ui .topbar .topbar-wrapper {
    flex-wrap: wrap;
    gap: 0.5em;
  }

  .openemploi-portail {
    margin: 0 0.5em;
  }
}
`
