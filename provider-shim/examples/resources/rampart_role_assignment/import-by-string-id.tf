import {
  to = rampart_role_assignment.developers_read_production
  id = "ra_0123456789abcdef"
}
