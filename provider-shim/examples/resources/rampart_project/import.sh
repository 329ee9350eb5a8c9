# By name path, or by id.
terraform import rampart_project.recsys workspaces/alpha-workspace/projects/recommendation-engine
terraform import rampart_project.recsys prj_0123456789abcdef
