# By the name path `organization`, or by the organization's id.
terraform import rampart_organization_settings.this organization
terraform import rampart_organization_settings.this org_0123456789abcdef
