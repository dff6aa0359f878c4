// Unknown API paths answer in JSON, like the rest of the API, instead of with the HTML 404 page.
const notFound = () => Response.json({ detail: 'Not Found' }, { status: 404 })

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE }
