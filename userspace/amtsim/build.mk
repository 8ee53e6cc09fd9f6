$(BUILD)/tests/device_model_test: $(BUILD)/obj/userspace/amtsim/device_model.o
$(eval $(call user_program,amtsim))
