"""Goals: records (CRUD through the Scope), progress, projections, recommendations, milestones."""
