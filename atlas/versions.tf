terraform {
  required_version = ">= 1.5"

  required_providers {
    mongodbatlas = {
      source = "mongodb/mongodbatlas"
      # Written against the provider 2.x schema of mongodbatlas_advanced_cluster (replication_specs and
      # region_configs as list attributes, electable_specs/auto_scaling/connection_strings as objects, tags as
      # a map). It uses none of what 3.0.0 removed (use_effective_fields, effective_*_specs), so 3.x applies
      # it unchanged.
      version = ">= 2.0.0, < 4.0.0"
    }
  }
}

# Credentials come from the environment, never from this directory: a service account
# (MONGODB_ATLAS_CLIENT_ID / MONGODB_ATLAS_CLIENT_SECRET) or a programmatic API key
# (MONGODB_ATLAS_PUBLIC_API_KEY / MONGODB_ATLAS_PRIVATE_API_KEY). See README.md.
provider "mongodbatlas" {}
