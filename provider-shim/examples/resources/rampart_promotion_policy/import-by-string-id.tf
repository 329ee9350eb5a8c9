import {
  to = rampart_promotion_policy.production
  id = "workspaces/production/promotion_policies/production"
}
