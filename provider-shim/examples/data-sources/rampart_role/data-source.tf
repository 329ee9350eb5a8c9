# Built-in roles are read like custom ones, with the permissions they grant.
data "rampart_role" "stack_write" {
  name = "stack.write"
}

output "stack_write_permissions" {
  value = data.rampart_role.stack_write.permissions # ["stack:read", "stack:update", "stack:use"]
}
