// Progressive enhancement only: every page works without this file.
document.addEventListener('submit', (event) => {
  const form = event.target
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault()
  }
})

// "Add a row" buttons in repeatable field groups (correction lists, materials).
let addedRows = 0
document.addEventListener('click', (event) => {
  const button = event.target
  if (!(button instanceof HTMLButtonElement) || !button.dataset.addRow) return
  const template = document.getElementById(button.dataset.addRow)
  if (!(template instanceof HTMLTemplateElement)) return
  // A template's ids hold `__n__`: number each new row so its labels stay tied to its fields.
  const row = template.content.cloneNode(true)
  const n = String(++addedRows)
  for (const el of row.querySelectorAll('[id], [for], [aria-describedby]')) {
    for (const name of ['id', 'for', 'aria-describedby']) {
      const value = el.getAttribute(name)
      if (value) el.setAttribute(name, value.replaceAll('__n__', `new${n}`))
    }
  }
  const first = row.querySelector('input:not([type="hidden"]), select, textarea')
  button.before(row)
  first?.focus()
})
