# By name path (a workspace's or a project's policy for a stage), or by id.
terraform import rampart_promotion_policy.production workspaces/production/promotion_policies/production
terraform import rampart_promotion_policy.fraud_detection_staging workspaces/production/projects/fraud-detection/promotion_policies/staging
terraform import rampart_promotion_policy.production pp_0123456789abcdef
