# Stage: pillars (to be written).
