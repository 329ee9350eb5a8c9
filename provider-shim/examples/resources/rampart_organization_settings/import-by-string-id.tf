import {
  to = rampart_organization_settings.this
  id = "organization"
}
