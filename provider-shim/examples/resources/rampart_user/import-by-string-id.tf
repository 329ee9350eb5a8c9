import {
  to = rampart_user.dana
  id = "users/dana@example.com"
}
