data "rampart_user" "dana" {
  email = "dana@example.com"
}
