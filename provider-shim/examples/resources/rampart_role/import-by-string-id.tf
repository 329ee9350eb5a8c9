import {
  to = rampart_role.data_scientist
  id = "roles/data-scientist"
}
