package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
)

// APIError is a non-2xx answer from rampartd, parsed from its error body
// (rampart.v1.Error: {"code", "message", "details": {"field", "reason"}}).
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Code is the machine-readable error code, e.g. "not_found" or "already_exists".
	Code string
	// Message is the daemon's human-readable explanation, naming the offending field first.
	Message string
	// Field is the JSON field name of the offending input, when one field is at fault.
	Field string
	// Reason is the machine-readable reason, e.g. "dns_label" or "taken".
	Reason string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rampartd answered %d", e.Status)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// IsNotFound reports whether err is, or wraps, an APIError with status 404.
func IsNotFound(err error) bool {
	return hasStatus(err, http.StatusNotFound)
}

func hasStatus(err error, status int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Status == status
}

// maxErrorSnippet bounds how much of a body that is not a rampart error (a proxy's HTML
// page, say) is quoted in the APIError message.
const maxErrorSnippet = 512

// parseAPIError builds the APIError for a non-2xx response with the given body.
func parseAPIError(status int, body []byte) *APIError {
	apiErr := &APIError{Status: status}
	var parsed rampartv1.Error
	if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(body, &parsed); err == nil && parsed.GetCode() != "" {
		apiErr.Code = parsed.GetCode()
		apiErr.Message = parsed.GetMessage()
		apiErr.Field = parsed.GetDetails().GetField()
		apiErr.Reason = parsed.GetDetails().GetReason()
		return apiErr
	}
	snippet := strings.TrimSpace(string(body))
	if len(snippet) > maxErrorSnippet {
		snippet = snippet[:maxErrorSnippet] + "..."
	}
	if snippet == "" {
		snippet = http.StatusText(status)
	}
	apiErr.Message = snippet
	return apiErr
}
