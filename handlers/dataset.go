package handlers

import "net/http"

// OpenAPI serves the API description: GET /api/v1/openapi.json.
func OpenAPI() http.Handler { return http.NotFoundHandler() }

// DatasetJSON is GET /api/v1/dataset.json.
func DatasetJSON(s Store, site Site) http.Handler { return http.NotFoundHandler() }

// DatasetCSV is GET /api/v1/dataset.csv.
func DatasetCSV(s Store, site Site) http.Handler { return http.NotFoundHandler() }
