"""omni-sync: Infobip OMNI failover scenarios as code, with Terraform-style plan and apply."""

__version__ = "0.1.0"
