package e2e

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/rampart-dev/rampart/provider-shim/api/rampartv1"
)

// Issue 8, acceptance point 2: model promotion governed by the policies of
// terraform-examples/two-workspaces, applied with the real CLI and then driven through the
// REST API by the example's people, each acting with an API key of their own. Every answer
// decodes strictly into the types generated from proto/rampart/v1/governance.proto.

const (
	devStagingProject = "/v1/workspaces/dev-staging/projects/fraud-detection"
	productionProject = "/v1/workspaces/production/projects/fraud-detection"
	scorerModel       = devStagingProject + "/models/fraud-scorer"
)

// person is a user acting through an API key minted for them by the admin.
type person struct {
	email, id, token string
}

func (p person) principal() string { return "user:" + p.id }

func TestPromotionGovernanceTwoWorkspaces(t *testing.T) {
	d, _ := applyExample(t, "two-workspaces")
	scientist := personFor(t, d, "sam@example.com")                     // data-scientists
	engineer := personFor(t, d, "max@example.com")                      // ml-engineers
	platformAdmin := personFor(t, d, "pat@example.com")                 // platform-admins
	secondApprover := findSecondApprover(t, d, engineer, platformAdmin) // another ml-engineer or platform-admin

	stagingPolicy := effectivePolicy(t, d, "dev-staging", "fraud-detection", "staging")
	productionPolicy := effectivePolicy(t, d, "dev-staging", "fraud-detection", "production")
	if stagingPolicy.GetApprovalRequired() ||
		!sameRoles(stagingPolicy.GetAllowedRoles(), "data-scientist", "ml-engineer", "platform-admin") {
		t.Errorf("the example's staging policy %v: want open to the three roles without approval", stagingPolicy)
	}
	if !productionPolicy.GetApprovalRequired() || productionPolicy.GetMinApprovers() != 2 || !productionPolicy.GetFourEyes() ||
		!sameRoles(productionPolicy.GetAllowedRoles(), "ml-engineer", "platform-admin") ||
		!sameRoles(productionPolicy.GetApproverRoles(), "ml-engineer", "platform-admin") {
		t.Errorf("the example's production policy %v: want ml-engineer/platform-admin, two approvers, four eyes", productionPolicy)
	}

	t.Log("a data scientist registers a model and three versions in dev-staging")
	sendAs(t, d, scientist, http.StatusCreated, http.MethodPost, devStagingProject+"/models",
		map[string]any{"name": "fraud-scorer", "description": "Scores card transactions for fraud."}, &rampartv1.Model{})
	versions := map[string]*rampartv1.ModelVersion{}
	for _, name := range []string{"1", "2", "3"} {
		version := &rampartv1.ModelVersion{}
		sendAs(t, d, scientist, http.StatusCreated, http.MethodPost, scorerModel+"/versions", map[string]any{
			"name":        name,
			"description": "Gradient-boosted scorer, training run " + name + ".",
			"tags":        []string{"validated", "fairness-reviewed"},
			"run_url":     "https://mlflow.example.com/runs/fraud-" + name,
		}, version)
		if version.GetStage() != "none" || !slices.Equal(version.GetTags(), []string{"fairness-reviewed", "validated"}) {
			t.Errorf("registered version %v: want stage none and sorted tags", version)
		}
		versions[name] = version
	}

	t.Log("version 1 goes to production first, so that a later promotion has a holder to archive")
	first := requestPromotion(t, d, engineer, http.StatusCreated, "fraud-scorer/1", "production")
	decidePromotion(t, d, platformAdmin, http.StatusOK, first.GetId(), "approve")
	if applied := decidePromotion(t, d, secondApprover, http.StatusOK, first.GetId(), "approve"); applied.GetStatus() != "applied" ||
		applied.GetPreviousVersionId() != "" {
		t.Fatalf("version 1 to production after two approvals: %v, want applied with no previous holder", applied)
	}
	expectVersionStage(t, d, "1", "production")

	t.Log("a data scientist promotes version 2 to staging at once")
	toStaging := requestPromotion(t, d, scientist, http.StatusCreated, versions["2"].GetId(), "staging")
	if toStaging.GetStatus() != "applied" || toStaging.GetRequestedBy() != scientist.principal() ||
		toStaging.GetApprovalsRequired() != 0 || toStaging.GetPolicyId() != stagingPolicy.GetId() ||
		toStaging.GetAppliedAt() == "" || toStaging.GetModelVersionId() != versions["2"].GetId() {
		t.Errorf("staging request %v: want applied at once under policy %s, requested by %s",
			toStaging, stagingPolicy.GetId(), scientist.principal())
	}
	expectVersionStage(t, d, "2", "staging")

	t.Log("the data scientist may not promote to production")
	expectRefusal(t, promotionRequestAnswer(d, scientist, "fraud-scorer/2", "production"), http.StatusForbidden, "missing_permission")

	t.Log("an ML engineer's production request waits for two approvers other than the requester")
	toProduction := requestPromotion(t, d, engineer, http.StatusCreated, "fraud-scorer/2", "production")
	if toProduction.GetStatus() != "requested" || toProduction.GetRequestedBy() != engineer.principal() ||
		toProduction.GetApprovalsRequired() != 2 || toProduction.GetPolicyId() != productionPolicy.GetId() ||
		len(toProduction.GetDecisions()) != 0 {
		t.Errorf("production request %v: want requested, two approvals required under policy %s",
			toProduction, productionPolicy.GetId())
	}
	expectRefusal(t, promotionRequestAnswer(d, engineer, "fraud-scorer/2", "production"), http.StatusConflict, "request_open")
	once := decidePromotion(t, d, platformAdmin, http.StatusOK, toProduction.GetId(), "approve")
	if once.GetStatus() != "requested" || !decidedBy(once, platformAdmin, "approve") {
		t.Errorf("after one approval %v: want still requested with pat's approval", once)
	}
	expectRefusal(t, decisionAnswer(d, platformAdmin, toProduction.GetId(), "approve"), http.StatusConflict, "already_decided")
	expectRefusal(t, decisionAnswer(d, engineer, toProduction.GetId(), "approve"), http.StatusForbidden, "four_eyes")
	unchanged := readPromotionRequest(t, d, toProduction.GetId())
	if unchanged.GetStatus() != "requested" || len(unchanged.GetDecisions()) != 1 {
		t.Errorf("after the requester's own approval %v: want still requested with one decision", unchanged)
	}
	expectVersionStage(t, d, "2", "staging")
	applied := decidePromotion(t, d, secondApprover, http.StatusOK, toProduction.GetId(), "approve")
	if applied.GetStatus() != "applied" || applied.GetPreviousVersionId() != versions["1"].GetId() ||
		applied.GetAppliedAt() == "" || len(applied.GetDecisions()) != 2 {
		t.Errorf("after the second distinct approval %v: want applied, archiving version 1 (%s)", applied, versions["1"].GetId())
	}
	expectVersionStage(t, d, "2", "production")
	expectVersionStage(t, d, "1", "archived")

	t.Log("a rejected request never applies")
	requestPromotion(t, d, scientist, http.StatusCreated, "fraud-scorer/3", "staging")
	rejected := requestPromotion(t, d, engineer, http.StatusCreated, "fraud-scorer/3", "production")
	withoutComment := d.callWithToken(platformAdmin.token, http.MethodPost, promotionRequestPath(rejected.GetId())+"/reject", map[string]any{})
	if refusal := expectRefusal(t, withoutComment, http.StatusBadRequest, ""); refusal.GetDetails().GetField() != "comment" {
		t.Errorf("%v; want details.field comment", withoutComment)
	}
	if answer := decidePromotion(t, d, platformAdmin, http.StatusOK, rejected.GetId(), "reject"); answer.GetStatus() != "rejected" ||
		!decidedBy(answer, platformAdmin, "reject") {
		t.Errorf("after rejection %v: want rejected with pat's decision", answer)
	}
	expectRefusal(t, decisionAnswer(d, secondApprover, rejected.GetId(), "approve"), http.StatusConflict, "request_closed")
	expectRefusal(t, d.callWithToken(engineer.token, http.MethodPost, promotionRequestPath(rejected.GetId())+"/apply", map[string]any{}),
		http.StatusConflict, "request_closed")
	if closed := readPromotionRequest(t, d, rejected.GetId()); closed.GetStatus() != "rejected" {
		t.Errorf("rejected request now %v", closed)
	}
	expectVersionStage(t, d, "3", "staging")
	expectVersionStage(t, d, "2", "production")

	imported := importIntoProduction(t, d, engineer, versions["3"])
	refuseByProjectPolicy(t, d, platformAdmin, imported)

	t.Log("the audit log names who did each step")
	events := promotionAuditEvents(t, d)
	expectAudited(t, events, "promotion_request.create", toStaging.GetId(), scientist)
	expectAudited(t, events, "promotion_request.apply", toStaging.GetId(), scientist)
	expectStageChange(t, expectAudited(t, events, "model_version.promote", versions["2"].GetId(), scientist), "none", "staging")
	expectAudited(t, events, "promotion_request.create", toProduction.GetId(), engineer)
	expectAudited(t, events, "promotion_request.approve", toProduction.GetId(), platformAdmin)
	expectAudited(t, events, "promotion_request.approve", toProduction.GetId(), secondApprover)
	expectAudited(t, events, "promotion_request.apply", toProduction.GetId(), secondApprover)
	expectStageChange(t, expectAudited(t, events, "model_version.promote", versions["2"].GetId(), secondApprover), "staging", "production")
	expectStageChange(t, expectAudited(t, events, "model_version.archive", versions["1"].GetId(), secondApprover), "production", "archived")
	expectAudited(t, events, "promotion_request.reject", rejected.GetId(), platformAdmin)
	expectAudited(t, events, "model_version.import", imported.GetId(), engineer)
	for _, event := range events {
		if event.GetAction() == "promotion_request.approve" && event.GetActor() == engineer.principal() {
			t.Errorf("the requester's refused approval was recorded as a success: %v", event)
		}
		if event.GetTargetId() == rejected.GetId() &&
			(event.GetAction() == "promotion_request.approve" || event.GetAction() == "promotion_request.apply") {
			t.Errorf("the rejected request was approved or applied: %v", event)
		}
	}
}

// importIntoProduction imports source, a dev-staging version, into the production
// workspace's fraud-detection project as who, and checks the copy and its provenance.
func importIntoProduction(t *testing.T, d *daemon, who person, source *rampartv1.ModelVersion) *rampartv1.ModelVersion {
	t.Helper()
	t.Log("the staging version is imported into the production workspace with its provenance")
	imported := &rampartv1.ModelVersion{}
	sendAs(t, d, who, http.StatusCreated, http.MethodPost, productionProject+"/model_imports", map[string]any{
		"source": "workspaces/dev-staging/projects/fraud-detection/models/fraud-scorer/versions/" + source.GetName(),
	}, imported)
	wantSource := &rampartv1.ModelVersionSource{
		WorkspaceId: source.GetWorkspaceId(), ProjectId: source.GetProjectId(), ModelId: source.GetModelId(),
		ModelVersionId: source.GetId(), Version: source.GetName(), RunUrl: source.GetRunUrl(),
	}
	if !proto.Equal(imported.GetSource(), wantSource) {
		t.Errorf("imported source %v, want %v", imported.GetSource(), wantSource)
	}
	if imported.GetStage() != "none" || imported.GetName() != source.GetName() || imported.GetId() == source.GetId() ||
		imported.GetWorkspaceId() == source.GetWorkspaceId() || imported.GetProjectId() == source.GetProjectId() ||
		imported.GetDescription() != source.GetDescription() || !slices.Equal(imported.GetTags(), source.GetTags()) ||
		imported.GetRunUrl() != source.GetRunUrl() {
		t.Errorf("imported version %v: want a new version in production at stage none, copying %v", imported, source)
	}
	model := &rampartv1.Model{}
	sendAs(t, d, who, http.StatusOK, http.MethodGet, productionProject+"/models/fraud-scorer", nil, model)
	if model.GetId() != imported.GetModelId() {
		t.Errorf("the import's model is %s, want the production project's fraud-scorer %s", imported.GetModelId(), model.GetId())
	}
	expectVersionStage(t, d, source.GetName(), "staging")
	return imported
}

// refuseByProjectPolicy gives the imported version's project its own staging policy and
// shows each of its rules refusing the version, naming the rule, until the version passes.
// The example's policies have no tag rule or window, hence a policy of the test's own.
func refuseByProjectPolicy(t *testing.T, d *daemon, requester person, imported *rampartv1.ModelVersion) {
	t.Helper()
	t.Log("a project policy's tag rule and deployment window refuse the imported version, naming the rule")
	admin := person{email: "the bootstrap admin", token: d.Token}
	policy := &rampartv1.PromotionPolicy{}
	sendAs(t, d, admin, http.StatusCreated, http.MethodPost, "/v1/promotion_policies", map[string]any{
		"project_id":    imported.GetProjectId(),
		"stage":         "staging",
		"required_tags": []string{"security-reviewed"},
		"description":   "Staging in production needs a security review.",
	}, policy)
	toStaging := func() response {
		return d.callWithToken(requester.token, http.MethodPost, productionProject+"/promotion_requests",
			map[string]any{"model_version": imported.GetId(), "target_stage": "staging", "comment": "canary"})
	}

	refusal := expectRefusal(t, toStaging(), http.StatusUnprocessableEntity, "required_tags")
	if !strings.Contains(refusal.GetMessage(), "security-reviewed") || refusal.GetDetails().GetField() != "model_version" {
		t.Errorf("the required_tags refusal %v: want field model_version and the missing tag named", refusal)
	}
	sendAs(t, d, admin, http.StatusOK, http.MethodPatch, productionProject+"/models/fraud-scorer/versions/"+imported.GetName(),
		map[string]any{"tags": append(slices.Clone(imported.GetTags()), "security-reviewed")}, &rampartv1.ModelVersion{})

	allDay := []map[string]any{{"start": "00:00", "end": "24:00", "time_zone": "Europe/Berlin"}}
	sendAs(t, d, admin, http.StatusOK, http.MethodPatch, "/v1/promotion_policies/"+policy.GetId(),
		map[string]any{"required_tags": []string{}, "blocked_windows": allDay}, &rampartv1.PromotionPolicy{})
	refusal = expectRefusal(t, toStaging(), http.StatusUnprocessableEntity, "deployment_window")
	if !strings.Contains(refusal.GetMessage(), "Europe/Berlin") {
		t.Errorf("the deployment_window refusal %v does not name the window's time zone", refusal)
	}

	sendAs(t, d, admin, http.StatusOK, http.MethodPatch, "/v1/promotion_policies/"+policy.GetId(),
		map[string]any{"blocked_windows": []any{}}, &rampartv1.PromotionPolicy{})
	allowed := &rampartv1.PromotionRequest{}
	decodeAnswer(t, toStaging(), http.StatusCreated, allowed)
	if allowed.GetStatus() != "applied" || allowed.GetPolicyId() != policy.GetId() {
		t.Errorf("with the tag added and no window: %v, want applied under the project policy %s", allowed, policy.GetId())
	}
}

// personFor mints an API key for the user with email and returns them with their id.
func personFor(t *testing.T, d *daemon, email string) person {
	t.Helper()
	user := &rampartv1.User{}
	decodeAnswer(t, d.call(http.MethodGet, "/v1/users/"+email, nil), http.StatusOK, user)
	return person{email: email, id: user.GetId(), token: userToken(t, d, email)}
}

// findSecondApprover returns a member of the ml-engineers or platform-admins team other
// than the given people. Production needs two approvers besides the requester; when the
// example has nobody else, the admin adds mia@example.com to ml-engineers.
func findSecondApprover(t *testing.T, d *daemon, besides ...person) person {
	t.Helper()
	for _, team := range []string{"ml-engineers", "platform-admins"} {
		members := &rampartv1.ListTeamMembersResponse{}
		decodeAnswer(t, d.call(http.MethodGet, "/v1/teams/"+team+"/members", nil), http.StatusOK, members)
		for _, id := range members.GetMembers() {
			if strings.HasPrefix(id, "usr_") && !slices.ContainsFunc(besides, func(p person) bool { return p.id == id }) {
				user := &rampartv1.User{}
				decodeAnswer(t, d.call(http.MethodGet, "/v1/users/"+id, nil), http.StatusOK, user)
				return personFor(t, d, user.GetEmail())
			}
		}
	}
	d.expect(http.StatusCreated, http.MethodPost, "/v1/users", map[string]any{"email": "mia@example.com"})
	d.expect(http.StatusOK, http.MethodPut, "/v1/teams/ml-engineers/members/user:mia@example.com", nil)
	return personFor(t, d, "mia@example.com")
}

// effectivePolicy reads the policy in force for stage in the project: the project's own,
// else its workspace's.
func effectivePolicy(t *testing.T, d *daemon, workspace, project, stage string) *rampartv1.PromotionPolicy {
	t.Helper()
	for _, path := range []string{
		"/v1/workspaces/" + workspace + "/projects/" + project + "/promotion_policies/" + stage,
		"/v1/workspaces/" + workspace + "/promotion_policies/" + stage,
	} {
		if answer := d.call(http.MethodGet, path, nil); answer.status != http.StatusNotFound {
			policy := &rampartv1.PromotionPolicy{}
			decodeAnswer(t, answer, http.StatusOK, policy)
			return policy
		}
	}
	t.Fatalf("no %s promotion policy governs %s/%s: the example should set one", stage, workspace, project)
	return nil
}

func promotionRequestPath(id string) string { return devStagingProject + "/promotion_requests/" + id }

func promotionRequestAnswer(d *daemon, who person, version, stage string) response {
	return d.callWithToken(who.token, http.MethodPost, devStagingProject+"/promotion_requests",
		map[string]any{"model_version": version, "target_stage": stage, "comment": "ready for " + stage})
}

// requestPromotion asks, as who, to move version (an id or MODEL/VERSION) in dev-staging
// to stage.
func requestPromotion(t *testing.T, d *daemon, who person, wantStatus int, version, stage string) *rampartv1.PromotionRequest {
	t.Helper()
	request := &rampartv1.PromotionRequest{}
	decodeAnswer(t, promotionRequestAnswer(d, who, version, stage), wantStatus, request)
	return request
}

// decisionAnswer approves or rejects (verb) a dev-staging request as who, with a comment.
func decisionAnswer(d *daemon, who person, id, verb string) response {
	return d.callWithToken(who.token, http.MethodPost, promotionRequestPath(id)+"/"+verb,
		map[string]any{"comment": who.email + " says " + verb})
}

func decidePromotion(t *testing.T, d *daemon, who person, wantStatus int, id, verb string) *rampartv1.PromotionRequest {
	t.Helper()
	request := &rampartv1.PromotionRequest{}
	decodeAnswer(t, decisionAnswer(d, who, id, verb), wantStatus, request)
	return request
}

// decidedBy reports whether the request's last decision is who's verb.
func decidedBy(request *rampartv1.PromotionRequest, who person, verb string) bool {
	decisions := request.GetDecisions()
	return len(decisions) > 0 && decisions[len(decisions)-1].GetPrincipal() == who.principal() &&
		decisions[len(decisions)-1].GetDecision() == verb
}

func readPromotionRequest(t *testing.T, d *daemon, id string) *rampartv1.PromotionRequest {
	t.Helper()
	request := &rampartv1.PromotionRequest{}
	decodeAnswer(t, d.call(http.MethodGet, "/v1/promotion_requests/"+id, nil), http.StatusOK, request)
	return request
}

// expectVersionStage checks the stage of fraud-scorer's version in dev-staging.
func expectVersionStage(t *testing.T, d *daemon, version, want string) {
	t.Helper()
	got := &rampartv1.ModelVersion{}
	decodeAnswer(t, d.call(http.MethodGet, scorerModel+"/versions/"+version, nil), http.StatusOK, got)
	if got.GetStage() != want {
		t.Errorf("version %s is in stage %q, want %q", version, got.GetStage(), want)
	}
}

// sendAs calls the API as who and decodes the answer strictly into into, failing the test
// unless the status is wantStatus.
func sendAs(t *testing.T, d *daemon, who person, wantStatus int, method, path string, body any, into proto.Message) {
	t.Helper()
	decodeAnswer(t, d.callWithToken(who.token, method, path, body), wantStatus, into)
}

func decodeAnswer(t *testing.T, answer response, wantStatus int, into proto.Message) {
	t.Helper()
	if answer.status != wantStatus {
		t.Fatalf("%v; want status %d", answer, wantStatus)
	}
	strictDecode(t, answer, into)
}

// expectRefusal checks an error answer: the status, the error shape and (when wantReason
// is set) details.reason. A refusal that did not happen changed what the rest of the test
// relies on, so a wrong status ends the test.
func expectRefusal(t *testing.T, answer response, wantStatus int, wantReason string) *rampartv1.Error {
	t.Helper()
	if answer.status != wantStatus {
		t.Fatalf("%v; want status %d %s", answer, wantStatus, wantReason)
	}
	refusal := &rampartv1.Error{}
	strictDecode(t, answer, refusal)
	if refusal.GetMessage() == "" || (wantReason != "" && refusal.GetDetails().GetReason() != wantReason) {
		t.Errorf("%v; want details.reason %q and a message", answer, wantReason)
	}
	return refusal
}

// promotionAuditEvents lists every successful promotion_request.* and model_version.* event.
func promotionAuditEvents(t *testing.T, d *daemon) []*rampartv1.AuditEvent {
	t.Helper()
	query := url.Values{"action": {"promotion_request.*", "model_version.*"}, "outcome": {"success"}, "page_size": {"1000"}}
	var events []*rampartv1.AuditEvent
	for {
		page := &rampartv1.ListAuditEventsResponse{}
		decodeAnswer(t, d.call(http.MethodGet, "/v1/audit-events?"+query.Encode(), nil), http.StatusOK, page)
		events = append(events, page.GetItems()...)
		if page.GetNextPageToken() == "" {
			return events
		}
		query.Set("page_token", page.GetNextPageToken())
	}
}

// expectAudited finds the event of action on target by actor, reporting it missing with
// what the target's events are instead.
func expectAudited(t *testing.T, events []*rampartv1.AuditEvent, action, targetID string, actor person) *rampartv1.AuditEvent {
	t.Helper()
	var seen []string
	for _, event := range events {
		if event.GetAction() == action && event.GetTargetId() == targetID && event.GetActor() == actor.principal() {
			return event
		}
		if event.GetTargetId() == targetID {
			seen = append(seen, event.GetAction()+" by "+event.GetActor())
		}
	}
	t.Errorf("no %s event on %s by %s (%s); that target has %v", action, targetID, actor.principal(), actor.email, seen)
	return nil
}

// expectStageChange checks the stage before and after in a version's stage change event.
func expectStageChange(t *testing.T, event *rampartv1.AuditEvent, from, to string) {
	t.Helper()
	if event == nil {
		return // expectAudited has reported it missing
	}
	before := event.GetBefore().GetStructValue().GetFields()["stage"].GetStringValue()
	after := event.GetAfter().GetStructValue().GetFields()["stage"].GetStringValue()
	if before != from || after != to {
		t.Errorf("%s on %s: stage %q -> %q, want %s -> %s", event.GetAction(), event.GetTargetId(), before, after, from, to)
	}
}

// sameRoles reports whether got holds exactly the role names want, in any order.
func sameRoles(got []string, want ...string) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}
