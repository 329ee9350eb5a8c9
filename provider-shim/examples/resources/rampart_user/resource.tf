resource "rampart_user" "dana" {
  email        = "dana@example.com"
  display_name = "Dana"
  labels = {
    team = "ml-engineers"
  }
}
